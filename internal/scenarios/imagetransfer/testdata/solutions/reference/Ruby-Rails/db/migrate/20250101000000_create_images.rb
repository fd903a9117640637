class CreateImages < ActiveRecord::Migration[7.2]
  def change
    create_table :images do |t|
      t.string :public_id, null: false
      t.string :media_type, null: false
      t.timestamps
    end
    add_index :images, :public_id, unique: true
  end
end
