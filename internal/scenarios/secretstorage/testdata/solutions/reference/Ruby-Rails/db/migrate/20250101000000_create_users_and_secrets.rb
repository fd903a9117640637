class CreateUsersAndSecrets < ActiveRecord::Migration[7.2]
  def change
    create_table :users do |t|
      t.string :email, null: false
      t.string :username, null: false
      t.string :password_digest, null: false
      t.timestamps
    end
    add_index :users, :email, unique: true
    add_index :users, :username, unique: true

    create_table :secrets do |t|
      t.references :user, null: false, foreign_key: true, index: { unique: true }
      t.text :ciphertext, null: false
      t.timestamps
    end
  end
end
