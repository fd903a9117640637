class CreateClicks < ActiveRecord::Migration[7.2]
  def change
    create_table :clicks, id: :string do |t|
      t.string :timestamp, null: false
    end
    add_index :clicks, :timestamp
  end
end
